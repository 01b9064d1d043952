using System.Text;
using FastQmail.Delivery.Remote;

namespace FastQmail.Delivery.Tests.Remote;

/// <summary>qmail-rspawn's report() fold, case by case.</summary>
public class RemoteReportFolderTests
{
    private static string Fold(string output) => RemoteReportFolder.Fold(Encoding.UTF8.GetBytes(output));

    [Theory]
    [InlineData("r\0KIP accepted message.\nRemote host said: 250 ok\n\0", "KIP accepted message.\nRemote host said: 250 ok\n")]
    [InlineData("KIP accepted message.\n\0", "KIP accepted message.\n")]
    [InlineData("hIP does not like recipient.\n\0DGiving up on IP.\n\0", "DIP does not like recipient.\nGiving up on IP.\n")]
    [InlineData("sIP does not like recipient.\n\0DGiving up on IP.\n\0", "ZIP does not like recipient.\nGiving up on IP.\n")]
    [InlineData("ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n\0", "ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n")]
    [InlineData("r\0ZConnected to IP but connection died. (#4.4.2)\n\0", "ZConnected to IP but connection died. (#4.4.2)\n")]
    [InlineData("", "Zqmail-remote produced no output.\n")]
    [InlineData("Kno nul", "D")] // no NUL: qmail finds no result (D) and writes no text
    // Found by the RemoteReport fuzz target (was an ArgumentOutOfRangeException in qmail-rspawn): output that starts
    // with NUL. qmail's text loop starts at index 1, so the text is the next report, letter included.
    [InlineData("\0KIP accepted message.\n\0", "KKIP accepted message.\n")]
    [InlineData("\0", "D")]
    public void Output_is_folded_as_qmail_rspawn_does(string output, string expected) => Assert.Equal(expected, Fold(output));

    [Fact]
    public void Exit_status_overrides_output()
    {
        Assert.Equal("Zqmail-remote crashed.\n", RemoteReportFolder.Fold(9, "K\0"u8));
        Assert.Equal("ZUnable to run qmail-remote.\n", RemoteReportFolder.Fold(111 << 8, "K\0"u8));
        Assert.Equal("DUnable to run qmail-remote.\n", RemoteReportFolder.Fold(1 << 8, "K\0"u8));
        Assert.Equal("Kok\n", RemoteReportFolder.Fold(0, "Kok\n\0"u8));
    }
}
