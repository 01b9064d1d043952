using System.Text;
using FastQmail.Core.Native;
using FastQmail.Queue;

namespace FastQmail.Benchmarks.QueueScale;

/// <summary>Writes N preprocessed messages straight into the queue (state S5: mess, info, remote), owned like the
/// directories they are in, as a queue with a large remote backlog looks after qmail-send has preprocessed it.</summary>
public static class Backlog
{
    public static void Write(QueuePaths paths, int count)
    {
        byte[] body = Encoding.ASCII.GetBytes("Received: (qmail 1 invoked by uid 0); 1 Jan 2026 00:00:00 -0000\nSubject: backlog\n\n" + new string('x', 1000) + "\n");
        byte[] info = "Fsender@example.org\0"u8.ToArray();
        byte[] remote = "Trcpt@remote.invalid\0"u8.ToArray();
        var owners = new Dictionary<string, (uint, uint)>();
        for (int i = 0; i < count; i++)
        {
            string pid = Path.Combine(paths.Dir("pid"), "backlog");
            File.WriteAllBytes(pid, body);
            if (!Posix.TryStat(pid, out FileStatus st)) throw new IOException("stat " + pid);
            long id = (long)st.Inode;
            if (Posix.Link(pid, paths.Mess(id)) != 0) throw new IOException("link " + paths.Mess(id));
            File.Delete(pid);
            File.WriteAllBytes(paths.Info(id), info);
            File.WriteAllBytes(paths.Remote(id), remote);
            foreach (string path in new[] { paths.Mess(id), paths.Info(id), paths.Remote(id) })
            {
                string dir = Path.GetDirectoryName(path)!;
                if (!owners.TryGetValue(dir, out var owner))
                {
                    Posix.TryStat(dir, out FileStatus d);
                    owners[dir] = owner = (d.Uid, d.Gid);
                }
                Posix.Chown(path, owner.Item1, owner.Item2);
            }
        }
        Posix.FsyncDirectory(paths.Dir("pid"));
    }
}
