namespace FastQmail.Protocols.Users;

/// <summary>Who receives an address (qmail-lspawn's "nughde"): account, ids, home, and the dash/ext for .qmail choice.</summary>
public sealed record UserAssignment(string User, uint Uid, uint Gid, string Home, string Dash, string Ext);
