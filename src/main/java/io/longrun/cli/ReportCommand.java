package io.longrun.cli;

import io.longrun.report.ByteSize;
import io.longrun.report.Report;
import io.longrun.run.ExitCodes;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code longrun report RUN_LOG [--out DIR] [--disk-limit 50GB] [--record FILE --field PATH...]}: the database growth report of a run, again or elsewhere. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Build a run's report from its run log: report.html (charts, opens offline), summary.json, summary.md and samples.csv.")
final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    Longrun parent;

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "RUN_LOG", description = "a run log (run.jsonl), also one a killed run left; "
            + "or the run logs of every shard of a sharded run (--shard), merged into one report (default folder: the first log's)")
    java.util.List<Path> runLogs;

    @Option(names = "--out", paramLabel = "DIR", description = "where the report goes (default: the run log's folder)")
    Path out;

    @Option(names = "--disk-limit", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "the disk the database may fill, e.g. 50GB or 500MB (multiples of 1024): when it would be full. "
                    + "Default: a db_size_growth criterion's limit_mb")
    Long diskLimit;

    @Option(names = "--record", paramLabel = "FILE", description = "the run's --record file, for --field")
    Path record;

    @Option(names = "--field", paramLabel = "PATH", description = "chart this field of the sent events over their due time, e.g. price "
            + "or payload.temperature (repeatable; needs --record): to check a value profile")
    java.util.List<String> fields = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CliContext ctx = parent.ctx;
        Path runLog = runLogs.get(0);
        Path log = ctx.workDir().resolve(runLog);
        Path shownDir = out != null ? out : runLog.getParent() == null ? Path.of("") : runLog.getParent();
        if (!fields.isEmpty() && record == null) throw new io.longrun.run.BadInput("--field needs --record FILE: the run's --record file holds the values");
        if (record != null && fields.isEmpty()) throw new io.longrun.run.BadInput("--record needs at least one --field PATH to chart");
        if (runLogs.size() > 1) {
            io.longrun.report.ShardMerge.Merged m = io.longrun.report.ShardMerge.merge(runLogs.stream().map(ctx.workDir()::resolve).toList(),
                    ctx.workDir().resolve(shownDir));
            ctx.out().println("merged " + runLogs.size() + " shards' run logs into " + shownDir.resolve(io.longrun.report.ShardMerge.MERGED));
            log = m.log();
        }
        Report.Result r = Report.write(log, ctx.workDir().resolve(shownDir), diskLimit == null ? OptionalLong.empty() : OptionalLong.of(diskLimit),
                record == null ? null : ctx.workDir().resolve(record), fields);
        for (String n : r.notes()) ctx.out().println("note: " + n);
        for (String t : r.tableLines()) ctx.out().println(t);
        ctx.out().println("report: " + shownDir.resolve(Report.HTML));
        return ExitCodes.OK;
    }

    /** Reads 50GB, 500MB, 1.5TB; refuses a bare number. */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long b = ByteSize.parse(value).orElseThrow(() ->
                    new CommandLine.TypeConversionException("not a size: '" + value + "' (write e.g. 50GB, 500MB, 1.5TB)"));
            if (b <= 0) throw new CommandLine.TypeConversionException("must be greater than 0: '" + value + "'");
            return b;
        }
    }
}
