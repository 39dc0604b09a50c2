package io.longrun.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run log's line reader: blocks, line ends, a cut last line, a line too long to be a record. */
class LinesTest {
    private static List<String> read(String text) throws Exception {
        RunLogReader.Lines lines = new RunLogReader.Lines(new StringReader(text));
        List<String> out = new ArrayList<>();
        for (String l; (l = lines.next()) != null; ) out.add(l);
        return out;
    }

    @Test
    void splitsOnLineEndsAcrossBlocks() throws Exception {
        String longLine = "x".repeat(200_000); // spans several 64 KiB blocks
        assertThat(read("a\n\nb\r\n" + longLine + "\nlast")).containsExactly("a", "", "b", longLine, "last");
        assertThat(read("")).isEmpty();
        assertThat(read("\n")).containsExactly("");
        assertThat(read("one\n")).containsExactly("one");
    }

    @Test
    void aLineTooLongToBeARecordComesBackEmptyAndTheNextOneWhole() throws Exception {
        String huge = "y".repeat(RunLogReader.MAX_LINE + 10);
        assertThat(read("first\n" + huge + "\nafter\n" + huge)).containsExactly("first", "", "after", "");
    }
}
