package io.longrun.fault;

import io.vertx.core.buffer.Buffer;

/**
 * One toxic's place in a link: it takes the chunks the previous stage hands it, in order, and hands them on to
 * {@link #next} when and as it sees fit. Every call comes on the connection's event loop, so a stage needs no
 * locks. A stage is per connection and direction; the toxic it belongs to is shared.
 *
 * <p>Adding and removing stages while bytes flow is the {@link Link}'s job: a removed stage is asked to
 * {@link #detach()}, and hands on what it holds before the chain closes over the gap.
 */
abstract class Stage {
    /** The next stage, or the link's sink. Set by the link. */
    Stage next;
    /** The link this stage sits in: timers, the connection's fate, the back-pressure account, seeded draws. */
    Link link;

    /** A chunk of bytes from the previous stage. */
    abstract void data(Buffer chunk);

    /** The source sent its last byte (EOF). Stages that hold chunks hand it on after them. */
    void end() {
        next.end();
    }

    /** The toxic now acts on this link: start what runs from this moment (a timeout's clock). */
    void attached() {}

    /** The toxic is taken off: stop timers and hand on everything held, in order. */
    void detach() {}
}
