using System.Diagnostics;
using System.Text.RegularExpressions;
using FastQmail.TestKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace FastQmail.Integration.Tests.Smtpd;

/// <summary>STARTTLS and AUTH in tcpserver mode: qmail-smtpd's stdin and stdout are the connection, and SslStream runs
/// over the two of them (the smtp-auth patch's command line: HOST checkpassword subprogram).</summary>
public sealed class SmtpdStdioTlsTests
{
    [RequiresProgramFact("tcpserver", "ucspi-tcp")]
    public async Task STARTTLS_and_AUTH_work_on_stdin_stdout_under_tcpserver()
    {
        using var home = new TempDirectory("smtpd7s");
        string control = home["control"];
        Directory.CreateDirectory(control);
        File.WriteAllText(Path.Combine(control, "me"), "mx.example.test\n");
        File.WriteAllText(Path.Combine(control, "rcpthosts"), "example.test\n");
        TestCertificate.WritePem(Path.Combine(control, "servercert.pem"));
        string spool = home["spool"];
        Directory.CreateDirectory(spool);
        string queue = Path.Combine(home.Path, "fake-queue");
        File.WriteAllText(queue, $"#!/bin/sh\ncat > {spool}/msg.$$ && cat <&1 > {spool}/env.$$\n");
        string checkpassword = Path.Combine(home.Path, "checkpassword");
        File.WriteAllText(checkpassword, "#!/bin/sh\ntr '\\0' '\\n' <&3 | { read u; read p; [ \"$u\" = bob ] && [ \"$p\" = pw ] && exec \"$@\"; exit 1; }\n");
        File.SetUnixFileMode(queue, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(checkpassword, (UnixFileMode)0b111_101_101);

        int port = Ports.Free();
        var psi = ProgramRun.Start("tcpserver", ["-R", "-H", "-l", "localhost", "127.0.0.1", port.ToString(),
            Repo.Bin("qmail-smtpd"), "--home", home.Path, "mx.example.test", checkpassword, "/bin/true"],
            new Dictionary<string, string> { ["QMAILQUEUE"] = queue });
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        using var server = Process.Start(psi)!;
        try
        {
            Ports.WaitListening(port, TimeSpan.FromSeconds(10));
            using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
            await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.StartTls);
            Assert.True(client.IsSecure);
            await client.AuthenticateAsync("bob", "pw");
            var m = new MimeMessage();
            m.From.Add(MailboxAddress.Parse("bob@example.test"));
            m.To.Add(MailboxAddress.Parse("carol@elsewhere.test"));
            m.Subject = "stdio tls";
            m.Body = new TextPart("plain") { Text = "over tcpserver" };
            await client.SendAsync(m);
            await client.DisconnectAsync(true);

            string msg = File.ReadAllText(Assert.Single(Directory.GetFiles(spool, "msg.*")));
            Assert.Matches(new Regex(@"^Received: from \S+ \(HELO \S+\) \(bob@127\.0\.0\.1\)\n  by \S+ with ESMTPSA \(TLSv1\.[23] TLS_\w+\); "), msg);
        }
        finally
        {
            server.Kill();
            server.WaitForExit(5000);
        }
    }
}
