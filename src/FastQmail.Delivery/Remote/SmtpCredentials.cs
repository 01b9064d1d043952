namespace FastQmail.Delivery.Remote;

/// <summary>The user name and password qmail-remote gives a smarthost with AUTH (a line of control/smtproutes-auth).</summary>
public sealed record SmtpCredentials(string User, string Password);
