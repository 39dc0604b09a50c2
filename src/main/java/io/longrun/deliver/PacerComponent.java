package io.longrun.deliver;

import java.util.List;
import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * The Camel face of the {@link Dispatcher}: {@code from("pacer:events")} starts the dispatcher when the route
 * starts and turns every batch of due events into one exchange, routed asynchronously; the dispatcher bounds
 * what is in flight. A timer cannot express ramps or an open-model schedule; this consumer can, and the routes
 * stay plain wiring. One exchange per batch, not per event: Camel's per-exchange work is then paid once per
 * wake-up of the dispatcher (one event at low rates, a millisecond's worth at high ones).
 */
public final class PacerComponent extends DefaultComponent {
    /** The exchange property that carries the batch: a {@code List<Dispatcher.Ticket>}. */
    public static final String TICKETS = "longrun.tickets";
    /** The exchange property that carries the Runnable freeing one slot. */
    static final String RELEASE = "longrun.release";

    private final Dispatcher dispatcher;
    private final Delivery delivery;

    public PacerComponent(Dispatcher dispatcher, Delivery delivery) {
        this.dispatcher = dispatcher;
        this.delivery = delivery;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new PacerEndpoint(uri, this);
    }

    static final class PacerEndpoint extends DefaultEndpoint {
        PacerEndpoint(String uri, PacerComponent component) {
            super(uri, component);
        }

        @Override
        public Producer createProducer() {
            throw new IllegalArgumentException("pacer: is a consumer endpoint only (use it in from)");
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            PacerComponent c = (PacerComponent) getComponent();
            PacerConsumer consumer = new PacerConsumer(this, processor, c.dispatcher, c.delivery);
            configureConsumer(consumer);
            return consumer;
        }
    }

    static final class PacerConsumer extends DefaultConsumer {
        private final Dispatcher dispatcher;
        private final Delivery delivery;
        private Thread thread;

        PacerConsumer(Endpoint endpoint, Processor processor, Dispatcher dispatcher, Delivery delivery) {
            super(endpoint, processor);
            this.dispatcher = dispatcher;
            this.delivery = delivery;
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            thread = new Thread(() -> dispatcher.run(this::deliver), "longrun-pacer");
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * Routes one batch asynchronously: the route renders the events on this thread and hands the requests
         * to the asynchronous HTTP producer, which files each outcome as its response comes. When the route is
         * done, whatever it did not file is filed as failed, so every event ends in exactly one outcome.
         */
        private void deliver(List<Dispatcher.Ticket> batch, Runnable release) {
            Exchange exchange = createExchange(false);
            exchange.setProperty(TICKETS, batch);
            exchange.setProperty(RELEASE, release);
            getAsyncProcessor().process(exchange, doneSync -> {
                try {
                    delivery.finish(exchange);
                } finally {
                    releaseExchange(exchange, false);
                }
            });
        }

        @Override
        protected void doStop() throws Exception {
            dispatcher.stop();
            super.doStop();
        }
    }
}
