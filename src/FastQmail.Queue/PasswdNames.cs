namespace FastQmail.Queue;

/// <summary>
/// uids of qmail's accounts read straight from /etc/passwd (name:pw:uid:...), as notqmail looks them up by
/// name at run time. No getpwnam: a static AOT binary has no NSS.
/// </summary>
public static class PasswdNames
{
    /// <summary>The uid of <paramref name="name"/> in <paramref name="passwdText"/>, or null.</summary>
    public static uint? FindUid(string passwdText, string name) =>
        FastQmail.Protocols.Users.PasswdEntry.Find(System.Text.Encoding.UTF8.GetBytes(passwdText), name)?.Uid;

    /// <summary>qmail-queue's choice for its Received line: alias, then qmaild, then qmails, else "by uid".</summary>
    public static InvokedBy Classify(string passwdText, uint uid)
    {
        if (FindUid(passwdText, "alias") == uid) return InvokedBy.Alias;
        if (FindUid(passwdText, "qmaild") == uid) return InvokedBy.Network;
        if (FindUid(passwdText, "qmails") == uid) return InvokedBy.Bounce;
        return InvokedBy.Uid;
    }

    /// <summary><see cref="Classify(string, uint)"/> over a passwd file; unreadable = "by uid".</summary>
    public static InvokedBy ClassifyFromFile(string path, uint uid)
    {
        try { return Classify(File.ReadAllText(path), uid); }
        catch (IOException) { return InvokedBy.Uid; }
        catch (UnauthorizedAccessException) { return InvokedBy.Uid; }
    }
}
