package io.longrun.generate;

/** One way to render an event as a request body. Implementations are thread-safe. */
public interface EventFormat {
    /** The request's Content-Type. */
    String contentType();

    /** Renders the event for this context. The same context, time aside, gives the same bytes. */
    byte[] render(EventContext context);
}
