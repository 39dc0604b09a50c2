package com.example.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longrun.api.SoakResult;
import io.longrun.api.junit.LongrunSoak;
import io.longrun.db.EmbeddedDb;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A 10 s soak of a service started in this JVM (here longrun's reference target over an embedded PostgreSQL). */
class ReferenceTargetSoakTest {
    static EmbeddedDb db;
    static TargetServer service;

    @BeforeAll
    static void startTheService() throws Exception {
        db = EmbeddedDb.start();
        service = TargetServer.start(0, db.settings(), Faults.NONE, Map.of());
        System.setProperty("service.url", service.baseUrl() + "/event"); // the port it bound, for the soak below
    }

    @AfterAll
    static void stopTheService() throws Exception {
        if (service != null) service.close();
        if (db != null) db.close();
    }

    @Test
    @LongrunSoak(scenario = "src/test/resources/soak.yaml", targetUrl = "${service.url}")
    void holdsTenSecondsWithoutErrors(SoakResult result) {
        // the criterion (error_rate) and the assertion already fail this test with their reasons; the figures are at hand too
        assertEquals("completed", result.verdict());
        assertTrue(result.total().accepted() > 0, result.toString());
        assertEquals(4, result.emitters().size());
    }
}
