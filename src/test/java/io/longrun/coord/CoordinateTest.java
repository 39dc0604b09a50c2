package io.longrun.coord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** --coordinate's URL: the two stores, and refusals in the user's words with no secret in them. */
class CoordinateTest {
    @Test
    void aFolderOrAPostgresUrl() {
        assertThat(Coordinate.parse("file:/shared/lr")).isEqualTo(new Coordinate(Coordinate.Kind.FILE, "/shared/lr"));
        assertThat(Coordinate.parse("file:///shared/lr").location()).isEqualTo("/shared/lr");
        assertThat(Coordinate.parse("file:coord").folder(Path.of("/work/x"))).isEqualTo(Path.of("/work/x/coord"));
        Coordinate pg = Coordinate.parse("jdbc:postgresql://db:5432/longrun?user=lr&password=s3cret");
        assertThat(pg.kind()).isEqualTo(Coordinate.Kind.POSTGRES);
        assertThat(pg.toString()).doesNotContain("s3cret").contains("jdbc:postgresql://db:5432/longrun");
    }

    @Test
    void anythingElseIsRefusedWithWhatToWrite() {
        assertThatThrownBy(() -> Coordinate.parse("redis://x:6379")).hasMessage("'redis://x:6379': not a coordination store; write "
                + "file:/shared/dir (one host or a shared volume) or jdbc:postgresql://host:5432/db (the user and password from PGUSER and PGPASSWORD)");
        assertThatThrownBy(() -> Coordinate.parse("file:")).hasMessageContaining("a file: coordinate names a folder every shard can reach");
        assertThatThrownBy(() -> Coordinate.parse("jdbc:mysql://u:pw@x/db")).hasMessageNotContaining("pw@").hasMessageContaining("***");
    }
}
