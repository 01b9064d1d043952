namespace FastQmail.Protocols.TcpRules;

/// <summary>What one line of a rules file is: a rule, nothing (comment, blank, no colon), or unparsable (tcprules
/// then exits 100 with <c>unable to parse this line</c>).</summary>
public enum TcpRuleLineStatus : byte { Rule, Skip, Invalid }
