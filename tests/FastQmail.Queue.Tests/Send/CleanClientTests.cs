using System.IO.Pipes;
using FastQmail.Queue.Send;

namespace FastQmail.Queue.Tests.Send;

/// <summary>qmail-send's qmail-clean pipe shared by two threads (the preprocessing thread's todo cleans and the main
/// loop's foop), against a real qmail-clean over OS pipes: every caller gets the replies to its own requests.</summary>
public class CleanClientTests
{
    [Fact]
    public void Two_threads_each_get_their_own_answers()
    {
        using var home = new QueueHome();
        // Odd ids fail ('!': a non-empty directory where intd/<id> should be), even ids succeed ('+': nothing to remove).
        const int PerThread = 1000;
        for (int i = 1; i < 2 * PerThread; i += 2) Directory.CreateDirectory(Path.Combine(home.Paths.Intd(i), "inside"));

        using var toClean = new AnonymousPipeServerStream(PipeDirection.Out);
        using var cleanIn = new AnonymousPipeClientStream(PipeDirection.In, toClean.ClientSafePipeHandle);
        using var fromClean = new AnonymousPipeServerStream(PipeDirection.In);
        using var cleanOut = new AnonymousPipeClientStream(PipeDirection.Out, fromClean.ClientSafePipeHandle);
        var program = new Thread(() => new QmailCleanProgram(home.Paths).Run(cleanIn, cleanOut));
        program.Start();

        var client = new CleanClient(toClean, fromClean);
        int wrong = 0;
        void Run(int first)
        {
            for (int k = 0; k < PerThread; k++)
            {
                long id = first + 2 * k;
                if (client.Clean("todo", id) != (id % 2 == 0)) Interlocked.Increment(ref wrong);
            }
        }
        var odd = new Thread(() => Run(1));
        var even = new Thread(() => Run(2));
        odd.Start();
        even.Start();
        odd.Join();
        even.Join();
        toClean.Dispose(); // EOF: qmail-clean exits 0
        program.Join();

        Assert.False(client.Lost);
        Assert.Equal(0, wrong);
    }
}
