package io.longrun.runlog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jdbc:postgresql://db:5432/app?user=app&password=s3cret&ssl=true | jdbc:postgresql://db:5432/app?user=app&password=***&ssl=true",
            "http://user:pa55@example.org/event | http://user:***@example.org/event",
            "https://h/ingest?api_key=abc123&x=1 | https://h/ingest?api_key=***&x=1",
            "https://h/ingest?token=abc&Signature=zzz | https://h/ingest?token=***&Signature=***",
            "http://127.0.0.1:8000/event | http://127.0.0.1:8000/event",
            "jdbc:postgresql://localhost/postgres?user=postgres&currentSchema=x | jdbc:postgresql://localhost/postgres?user=postgres&currentSchema=x"})
    void masksPasswordsAndTokens(String url, String masked) {
        assertThat(Secrets.maskUrl(url)).isEqualTo(masked);
    }
}
