using RnnRunner.Cli;

return CliApplication.Run(args);
