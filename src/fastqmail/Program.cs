return FastQmail.Admin.AdminCommand.Run(args, Console.Out);
