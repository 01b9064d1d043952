using FastQmail.Fuzz.Targets;

namespace FastQmail.Fuzz;

/// <summary>Every fuzz target by name (no reflection: the list is the registry).</summary>
public static class TargetRegistry
{
    public static readonly IFuzzTarget[] All =
    [
        new CdbTarget(), new EnvelopeTarget(), new UsersAssignTarget(), new SmtpLineTarget(), new SmtpCommandTarget(),
        new AddressTarget(), new DataTarget(), new StrictDataTarget(), new ReceivedLineTarget(), new SmtpSessionTarget(), new SaslTarget(),
        new DnsTarget(), new SmtpReplyTarget(), new SmtpDataEncoderTarget(), new DotQmailTarget(), new PasswdTarget(),
        new SpawnRequestTarget(), new RemoteReportTarget(), new CleanRequestTarget(), new ResolvConfTarget(), new SmtpRoutesTarget(),
        new TcpToTarget(), new ControlFileTarget(), new TcpRulesTarget(), new PasswordHashTarget(), new DirectoryEntriesTarget(),
    ];

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
