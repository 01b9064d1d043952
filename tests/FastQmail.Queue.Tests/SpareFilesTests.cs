using System.Text;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;

namespace FastQmail.Queue.Tests;

/// <summary>The pool of recycled queue files (SpareFiles): reuse keeps qmail's file semantics, and a file that may
/// still have another name is never emptied.</summary>
public class SpareFilesTests
{
    private static ulong Inode(string path)
    {
        Assert.True(Posix.TryLstat(path, out FileStatus st), path);
        return st.Inode;
    }

    private static SpareFiles Pool(QueueHome home) => new(Path.Combine(home.Paths.Root, "spare", "queue"), 0x1A4);

    private static string[] Spares(QueueHome home) => Directory.GetFiles(Path.Combine(home.Paths.Root, "spare", "queue"));

    [Fact]
    public void A_retired_file_is_taken_again_with_its_old_length_told_under_its_new_name_with_the_pools_mode()
    {
        using var home = new QueueHome();
        string old = home.Paths.Intd(1);
        File.WriteAllText(old, "Fa@b\0Tc@d\0\0");
        File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetLastAccessTimeUtc(old, DateTime.UtcNow.AddDays(-3)); // a spare that cycled for days
        ulong inode = Inode(old);
        var pool = Pool(home);

        Assert.True(pool.Retire(old));
        Assert.False(File.Exists(old));
        Assert.Single(Spares(home));

        string fresh = home.Paths.Intd(2);
        int fd = pool.TryTake(fresh, out long stale);
        Assert.True(fd >= 0);
        Assert.Equal(11, stale); // its old bytes are still there: the taker cuts them off at its own length
        Assert.True(Posix.WriteAll(fd, "new"u8));
        Assert.Equal(0, Posix.Ftruncate(fd, 3));
        Posix.Close(fd);
        Assert.Equal(inode, Inode(fresh)); // the same inode: nothing was allocated
        Assert.Equal("new", File.ReadAllText(fresh)); // written from the start
        Assert.True(Posix.TryStat(fresh, out FileStatus st));
        Assert.Equal(0x1A4u, st.Mode & 0xFFF);
        Assert.InRange(st.ATimeSeconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, long.MaxValue); // not the old life's
        Assert.Empty(Spares(home));
        Assert.Equal(-1, pool.TryTake(home.Paths.Intd(3), out _)); // the pool is empty now
    }

    [Fact]
    public void Taking_onto_an_existing_name_fails_like_O_EXCL_and_keeps_both_files()
    {
        using var home = new QueueHome();
        var pool = Pool(home);
        File.WriteAllText(home.Paths.Intd(1), "spare");
        Assert.True(pool.Retire(home.Paths.Intd(1)));
        string existing = home.Paths.Intd(2);
        File.WriteAllText(existing, "keep me");

        Assert.Equal(-1, pool.TryTake(existing, out _));
        Assert.Equal("keep me", File.ReadAllText(existing));
        Assert.Single(Spares(home));
        int fd = pool.TryTake(home.Paths.Intd(3), out _);
        Assert.True(fd >= 0); // the spare is still there for the next
        Posix.Close(fd);
    }

    [Fact]
    public void A_spare_that_still_has_another_name_is_dropped_not_emptied()
    {
        using var home = new QueueHome();
        var pool = Pool(home);
        // qmail-clean's todo request: intd goes to the pool first, todo/ (the same file) is unlinked next. A taker in
        // between (or after a crash there) finds two links and must leave the envelope alone.
        string intd = home.Paths.Intd(7), todo = home.Paths.Todo(7);
        File.WriteAllText(intd, "Fa@b\0Tc@d\0\0");
        Assert.Equal(0, Posix.Link(intd, todo));
        Assert.True(pool.Retire(intd));

        Assert.Equal(-1, pool.TryTake(home.Paths.Intd(8), out _));
        Assert.Equal("Fa@b\0Tc@d\0\0", File.ReadAllText(todo));
        Assert.False(File.Exists(home.Paths.Intd(8)));
        Assert.Empty(Spares(home));
    }

    [Fact]
    public void Retiring_a_missing_name_is_done_and_a_directory_is_not_moved()
    {
        using var home = new QueueHome();
        var pool = Pool(home);
        Assert.True(pool.Retire(home.Paths.Intd(5)));
        string dir = home.Paths.Intd(6);
        Directory.CreateDirectory(Path.Combine(dir, "inside"));
        Assert.False(pool.Retire(dir));
        Assert.True(Directory.Exists(dir));
        Assert.Empty(Spares(home));
    }

    [Fact]
    public void Without_the_spare_directory_names_are_unlinked_and_files_created_as_before()
    {
        using var home = new QueueHome();
        Directory.Delete(Path.Combine(home.Paths.Root, "spare"), recursive: true); // a queue made before the pool
        var pool = Pool(home);
        string intd = home.Paths.Intd(1);
        File.WriteAllText(intd, "x");
        Assert.True(pool.Retire(intd));
        Assert.False(File.Exists(intd));
        Assert.Equal(-1, pool.TryTake(home.Paths.Intd(2), out _));

        QueueResult r = Inject(home, QueueFileSystem.For(home.Paths));
        Assert.True(r.IsOk, r.Text);
    }

    [Fact]
    public void A_finished_mess_file_keeps_at_most_KeepBytes_in_the_pool()
    {
        using var home = new QueueHome();
        var pool = Pool(home);
        string large = home.Paths.Mess(9), small = home.Paths.Mess(10);
        File.WriteAllBytes(large, new byte[100_000]);
        File.WriteAllBytes(small, new byte[4_344]);
        Assert.True(pool.Retire(large, message: true));
        Assert.True(pool.Retire(small, message: true));
        Assert.Equal([4_344, SpareFiles.KeepBytes], Spares(home).Select(f => new FileInfo(f).Length).Order());
    }

    [Fact]
    public void Spares_another_process_retired_are_found_by_listing_the_directory_oldest_remembered_first()
    {
        using var home = new QueueHome();
        string spareDir = Path.Combine(home.Paths.Root, "spare", "queue");
        var inodes = new HashSet<ulong>();
        for (int i = 0; i < 3; i++)
        {
            File.WriteAllText(Path.Combine(spareDir, $"999.12345.{i}"), "old data");
            inodes.Add(Inode(Path.Combine(spareDir, $"999.12345.{i}")));
        }
        string tooLong = Path.Combine(spareDir, new string('x', 60));
        File.WriteAllText(tooLong, "");
        Directory.CreateDirectory(Path.Combine(spareDir, "not-a-file"));
        var pool = Pool(home); // a new pool object: it knows no names until it lists the directory

        var taken = new HashSet<ulong>();
        for (int id = 1; id <= 3; id++)
        {
            int fd = pool.TryTake(home.Paths.Intd(id), out long stale);
            Assert.True(fd >= 0, $"take {id}");
            Posix.Close(fd);
            taken.Add(Inode(home.Paths.Intd(id)));
            Assert.Equal(8, stale); // "old data"
        }
        Assert.Equal(inodes, taken);
        Assert.Equal(-1, pool.TryTake(home.Paths.Intd(4), out _)); // what is left is not for taking
        Assert.True(File.Exists(tooLong));
        Assert.True(Directory.Exists(Path.Combine(spareDir, "not-a-file")));

        // Names it retires itself are taken in the order they were retired.
        ulong[] retired = [Inode(home.Paths.Intd(2)), Inode(home.Paths.Intd(3)), Inode(home.Paths.Intd(1))];
        foreach (int id in (int[])[2, 3, 1]) Assert.True(pool.Retire(home.Paths.Intd(id)));
        foreach (int id in (int[])[5, 6, 7])
        {
            int fd = pool.TryTake(home.Paths.Intd(id), out _);
            Assert.True(fd >= 0);
            Posix.Close(fd);
        }
        Assert.Equal(retired, new[] { Inode(home.Paths.Intd(5)), Inode(home.Paths.Intd(6)), Inode(home.Paths.Intd(7)) });
    }

    private static QueueResult Inject(QueueHome home, IQueueFileSystem fs) => Inject(home, fs, "Subject: x\n\nbody\n"u8, "Fa@b\0Tc@d\0\0"u8);

    private static QueueResult Inject(QueueHome home, IQueueFileSystem fs, ReadOnlySpan<byte> message, ReadOnlySpan<byte> envelope)
    {
        using QueueWriter writer = QueueWriter.Start(home.Paths, fs, InvokedBy.Uid, 1234, 4321, DateTimeOffset.UnixEpoch);
        writer.Write(message);
        return writer.Commit(envelope);
    }

    [Fact]
    public void The_queue_reuses_what_qmail_clean_retired_and_the_bytes_are_the_new_messages()
    {
        using var home = new QueueHome();
        QueueFileSystem fs = QueueFileSystem.For(home.Paths);
        QueueResult first = Inject(home, fs);
        Assert.True(first.IsOk, first.Text);
        long id = first.MessageId;
        ulong envelopeInode = Inode(home.Paths.Intd(id));
        byte[] messBytes = File.ReadAllBytes(home.Paths.Mess(id)), todoBytes = File.ReadAllBytes(home.Paths.Todo(id));

        // qmail-send preprocessed it (todo) and later finished it (foop): both of its files go to the pool.
        var clean = new QmailCleanProgram(home.Paths);
        Assert.Equal((byte)'+', clean.Handle(Encoding.ASCII.GetBytes($"todo/{id}\0")));
        Assert.Equal((byte)'+', clean.Handle(Encoding.ASCII.GetBytes($"foop/{id}\0")));
        Assert.Empty(home.Files());
        Assert.Equal(2, Spares(home).Length);

        // The next message is written into those two files (no new inode), and they hold only its bytes.
        QueueResult second = Inject(home, fs);
        Assert.True(second.IsOk, second.Text);
        long id2 = second.MessageId;
        Assert.Equal(new HashSet<ulong> { (ulong)id, envelopeInode }, new HashSet<ulong> { (ulong)id2, Inode(home.Paths.Intd(id2)) });
        Assert.Equal(messBytes, File.ReadAllBytes(home.Paths.Mess(id2)));
        Assert.Equal(todoBytes, File.ReadAllBytes(home.Paths.Todo(id2)));
        Assert.Equal(new[] { $"intd/{id2}", $"mess/{id2 % 23}/{id2}", $"todo/{id2}" }, home.Files());
        Assert.Empty(Spares(home));
    }

    [Fact]
    public void A_message_shorter_than_the_recycled_files_earlier_life_is_all_they_hold()
    {
        using var home = new QueueHome();
        QueueFileSystem fs = QueueFileSystem.For(home.Paths);
        byte[] longBody = Encoding.ASCII.GetBytes("Subject: long\n\n" + new string('x', 20_000) + "\n");
        QueueResult first = Inject(home, fs, longBody, Encoding.ASCII.GetBytes("Fa@b\0" + string.Concat(Enumerable.Range(0, 50).Select(i => $"Trcpt{i}@d\0")) + "\0"));
        Assert.True(first.IsOk, first.Text);
        var inodes = new HashSet<ulong> { (ulong)first.MessageId, Inode(home.Paths.Intd(first.MessageId)) };
        var clean = new QmailCleanProgram(home.Paths);
        Assert.Equal((byte)'+', clean.Handle(Encoding.ASCII.GetBytes($"todo/{first.MessageId}\0")));
        Assert.Equal((byte)'+', clean.Handle(Encoding.ASCII.GetBytes($"foop/{first.MessageId}\0")));

        QueueResult second = Inject(home, fs, "Subject: x\n\nbody\n"u8, "Fa@b\0Tc@d\0\0"u8);
        Assert.True(second.IsOk, second.Text);
        long id = second.MessageId;
        Assert.Equal(inodes, new HashSet<ulong> { (ulong)id, Inode(home.Paths.Intd(id)) }); // the same two files, written over
        Assert.EndsWith("Subject: x\n\nbody\n", File.ReadAllText(home.Paths.Mess(id)));
        Assert.StartsWith("Received: ", File.ReadAllText(home.Paths.Mess(id)));
        Assert.Equal("u1234\0p4321\0Fa@b\0Tc@d\0", File.ReadAllText(home.Paths.Todo(id)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_message_takes_an_old_mess_file_and_an_envelope_an_old_envelope_file(bool listed)
    {
        using var home = new QueueHome();
        var retiring = Pool(home); // qmail-clean
        ulong[] mess = new ulong[3], envelopes = new ulong[3];
        for (int i = 0; i < 3; i++)
        {
            File.WriteAllBytes(home.Paths.Mess(10 + i), new byte[4_344]);
            File.WriteAllText(home.Paths.Intd(10 + i), "u0\0p1\0Fa@b\0Tc@d\0");
            mess[i] = Inode(home.Paths.Mess(10 + i));
            envelopes[i] = Inode(home.Paths.Intd(10 + i));
            Assert.True(retiring.Retire(home.Paths.Intd(10 + i)));
            Assert.True(retiring.Retire(home.Paths.Mess(10 + i), message: true));
        }
        // The same process knows the kinds it retired; another (qmail-smtpd) tells them apart by name when it lists.
        SpareFiles taking = listed ? Pool(home) : retiring;

        for (int i = 0; i < 3; i++)
        {
            int fd = taking.TryTake(home.Paths.Intd(20 + i), out long stale);
            Assert.True(fd >= 0);
            Posix.Close(fd);
            Assert.Equal(16, stale);
            Assert.Contains(Inode(home.Paths.Intd(20 + i)), envelopes);

            fd = taking.TryTake(home.Paths.Mess(20 + i), out stale, message: true);
            Assert.True(fd >= 0);
            Posix.Close(fd);
            Assert.Equal(4_344, stale);
            Assert.Contains(Inode(home.Paths.Mess(20 + i)), mess);
        }
    }

    [Fact]
    public void Without_an_old_file_of_its_kind_a_taker_gets_the_other_kind()
    {
        using var home = new QueueHome();
        var pool = Pool(home);
        File.WriteAllText(home.Paths.Intd(1), "u0\0p1\0Fa@b\0Tc@d\0");
        File.WriteAllBytes(home.Paths.Mess(2), new byte[4_344]);
        Assert.True(pool.Retire(home.Paths.Intd(1)));
        Assert.True(pool.Retire(home.Paths.Mess(2), message: true));

        int fd = pool.TryTake(home.Paths.Mess(3), out long stale, message: true);
        Posix.Close(fd);
        Assert.Equal(4_344, stale);
        fd = pool.TryTake(home.Paths.Mess(4), out stale, message: true); // no old mess file left: an envelope will do
        Assert.True(fd >= 0);
        Posix.Close(fd);
        Assert.Equal(16, stale);
        Assert.Equal(-1, pool.TryTake(home.Paths.Intd(5), out _));
    }

    [Fact]
    public void Names_another_writer_took_first_are_skipped_without_giving_up()
    {
        using var home = new QueueHome();
        string spareDir = Path.Combine(home.Paths.Root, "spare", "queue");
        for (int i = 0; i < 200; i++) File.WriteAllText(Path.Combine(spareDir, $"999.12345.{i}"), "u0\0p1\0Fa@b\0Tc@d\0");
        string[] listed = Directory.EnumerateFiles(spareDir).ToArray(); // the order a listing enters them in
        var pool = Pool(home);
        int fd = pool.TryTake(home.Paths.Intd(1), out _); // lists: the names after the first are now remembered
        Assert.True(fd >= 0);
        Posix.Close(fd);

        // Another writer takes the next six remembered names first (as a listing made while takers still held names
        // it could not know were taken leaves them at its head).
        for (int i = 1; i <= 6; i++) File.Move(listed[i], Path.Combine(home.Paths.Root, "intd", $"{100 + i}"));

        fd = pool.TryTake(home.Paths.Intd(2), out _);
        Assert.True(fd >= 0, "the take gave up after meeting names taken by another writer");
        Posix.Close(fd);
        Assert.Equal(200 - 1 - 6 - 1, Spares(home).Length);
    }

    [Fact]
    public void Concurrent_takers_wait_for_one_listing_instead_of_going_without()
    {
        using var home = new QueueHome();
        string spareDir = Path.Combine(home.Paths.Root, "spare", "queue");
        for (int i = 0; i < 400; i++) File.WriteAllText(Path.Combine(spareDir, $"999.12345.{i}"), "u0\0p1\0Fa@b\0Tc@d\0");
        var pool = Pool(home); // knows no names: every take depends on a listing (128 names each)
        const int Threads = 8, Each = 40;
        var failed = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < Each; i++)
            {
                int id = 1000 + t * Each + i;
                int fd = pool.TryTake(home.Paths.Intd(id), out _);
                if (fd < 0) failed.Add(id);
                else Posix.Close(fd);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(failed); // 320 takes from 400 spares: none went without while another thread listed
        Assert.Equal(80, Spares(home).Length);
    }
}
