// Wired up by the issue that builds this program.
return 111;
