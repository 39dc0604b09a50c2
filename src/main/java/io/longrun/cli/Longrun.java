package io.longrun.cli;

import io.longrun.run.BadInput;
import io.longrun.run.ExitCodes;
import io.longrun.scenario.ScenarioException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** The {@code longrun} command line. */
@Command(name = "longrun", mixinStandardHelpOptions = true, versionProvider = Longrun.Version.class,
        description = "Soak tests and event replays against event-ingesting HTTP services, watching their health and PostgreSQL.",
        subcommands = {RunCommand.class, ResumeCommand.class, ReplayCommand.class, ValidateCommand.class, SuiteCommand.class, DemoCommand.class, TargetCommand.class,
                ResetCommand.class, ProxyCommand.class, FaultsCommand.class,
                ReportCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n")
public final class Longrun implements Callable<Integer> {
    final CliContext ctx;

    @Spec
    CommandLine.Model.CommandSpec spec;

    Longrun(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(ctx.err());
        return ExitCodes.BAD_INPUT;
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        int code = execute(CliContext.system(), args);
        System.out.flush();
        System.exit(code);
    }

    /** Runs a command line; returns its exit code. Never throws and never prints a stack trace unless LONGRUN_DEBUG is set. */
    public static int execute(CliContext ctx, String... args) {
        CommandLine cmd = new CommandLine(new Longrun(ctx));
        cmd.getCommandSpec().usageMessage().exitCodeList(ExitCodes.helpList());
        cmd.setOut(new java.io.PrintWriter(ctx.out(), true));
        cmd.setErr(new java.io.PrintWriter(ctx.err(), true));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setParameterExceptionHandler((ex, a) -> {
            ctx.err().println("longrun: " + ex.getMessage());
            ctx.err().println("try: longrun " + ex.getCommandLine().getCommandName().replace("longrun", "").trim() + " --help");
            return ExitCodes.BAD_INPUT;
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof ScenarioException se) {
                for (String p : se.problems()) ctx.err().println(p);
                ctx.err().println(se.problems().size() + " problem(s): nothing was run");
                return ExitCodes.BAD_INPUT;
            }
            if (ex instanceof io.longrun.api.SoakException se && se.badInput()) {
                ctx.err().println("longrun: " + ex.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            if (ex instanceof BadInput) {
                ctx.err().println("longrun: " + ex.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            if (ex instanceof InterruptedException) return ExitCodes.INTERRUPTED;
            java.util.Optional<String> file = fileProblem(ex);
            if (file.isPresent()) {
                ctx.err().println("longrun: " + file.get());
                return ExitCodes.BAD_INPUT;
            }
            ctx.err().println("longrun: internal error: " + describe(ex));
            if (ctx.env("LONGRUN_DEBUG") != null) ex.printStackTrace(ctx.err());
            else ctx.err().println("(set LONGRUN_DEBUG=1 for the stack trace)");
            return ExitCodes.INTERNAL;
        });
        return cmd.execute(args);
    }

    /**
     * A file or folder the run cannot use (the run log's folder not writable, a read-only volume, a file where a
     * folder should be), in the user's words: the path and what is wrong with it. Empty for any other failure.
     */
    static java.util.Optional<String> fileProblem(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (!(root instanceof java.nio.file.FileSystemException f) || f.getFile() == null) return java.util.Optional.empty();
        String what;
        if (f instanceof java.nio.file.AccessDeniedException) what = "permission denied (this process cannot write there)";
        else if (f instanceof java.nio.file.NoSuchFileException) what = "no such file or folder";
        else if (f instanceof java.nio.file.FileAlreadyExistsException)
            what = java.nio.file.Files.isDirectory(java.nio.file.Path.of(f.getFile())) ? "exists already" : "exists already, and is not a folder";
        else if (f.getReason() != null) what = f.getReason().toLowerCase(java.util.Locale.ROOT);
        else what = "cannot be used";
        return java.util.Optional.of(f.getFile() + ": " + what);
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m.split("\n")[0]);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Longrun.class.getPackage().getImplementationVersion();
            return new String[] {"longrun " + (v == null ? "dev" : v)};
        }
    }
}
