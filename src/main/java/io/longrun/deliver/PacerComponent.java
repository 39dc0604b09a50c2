package io.longrun.deliver;

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
 * starts and turns every ticket into an exchange, routed asynchronously; the dispatcher bounds what is in flight.
 * A timer cannot express ramps or an open-model schedule; this consumer can, and the routes stay plain wiring.
 */
public final class PacerComponent extends DefaultComponent {
    /** The exchange property that carries the {@link Dispatcher.Ticket}. */
    public static final String TICKET = "longrun.ticket";

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
         * Routes one ticket asynchronously: the route renders the event on this thread and hands the request to
         * the asynchronous HTTP producer, whose callback files the outcome and frees the slot. Requests in flight
         * cost no thread each.
         */
        private void deliver(Dispatcher.Ticket ticket, Runnable done) {
            Exchange exchange = createExchange(false);
            exchange.setProperty(TICKET, ticket);
            getAsyncProcessor().process(exchange, doneSync -> {
                try {
                    delivery.finish(exchange);
                } finally {
                    releaseExchange(exchange, false);
                    done.run();
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
