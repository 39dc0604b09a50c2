package io.longrun.reference;

import io.longrun.metrics.TargetMetrics;
import io.vertx.core.http.HttpMethod;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * A handler in front of the target's routes on its Vert.x router. It times {@code POST /event} from the request's
 * arrival to its response (fault delays included, as a client sees them), and plays the delay faults (latency,
 * slow_after) with a Vert.x timer before the request goes on: no event-loop or worker thread waits, so a slow target
 * still takes every request in, as a slow backend does.
 */
final class TargetHttp {
    private TargetHttp() {}

    /** The Vert.x instance that serves the target's port. */
    static io.vertx.core.Vertx vertx(CamelContext camel, int port) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camel, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) throw new IllegalStateException("no platform-http router for port " + port);
        return router.vertx();
    }

    static void install(CamelContext camel, int port, TargetService service, TargetMetrics metrics) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camel, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) throw new IllegalStateException("no platform-http router for port " + port);
        // the order must be set before the handler: the first of all routes
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            long arrived = System.nanoTime();
            String path = ctx.request().path();
            if (ctx.request().method() == HttpMethod.POST && "/event".equals(path))
                ctx.addHeadersEndHandler(v -> metrics.latency(System.nanoTime() - arrived));
            long delay = service.delayMillis(path);
            if (delay <= 0) {
                ctx.next();
                return;
            }
            ctx.request().pause(); // the body waits in the socket until the route reads it
            ctx.vertx().setTimer(delay, id -> {
                ctx.request().resume();
                ctx.next();
            });
        });
    }
}
