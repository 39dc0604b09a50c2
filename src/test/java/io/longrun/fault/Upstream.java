package io.longrun.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real TCP server for the proxy to forward to, on plain blocking sockets and a thread per connection: it echoes
 * what it reads, or (flood) writes without end. It counts the bytes it read and wrote, measured at the upstream.
 */
final class Upstream implements AutoCloseable {
    final AtomicLong read = new AtomicLong(), written = new AtomicLong(), accepted = new AtomicLong();
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final boolean flood;

    private Upstream(boolean flood) throws IOException {
        this.flood = flood;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "upstream-accept");
        t.setDaemon(true);
        t.start();
    }

    static Upstream echo() throws IOException {
        return new Upstream(false);
    }

    static Upstream flood() throws IOException {
        return new Upstream(true);
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "upstream-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[16 * 1024];
            if (flood) {
                while (true) {
                    out.write(buf);
                    written.addAndGet(buf.length);
                }
            }
            int n;
            while ((n = in.read(buf)) > 0) {
                read.addAndGet(n);
                out.write(buf, 0, n);
                out.flush();
                written.addAndGet(n);
            }
        } catch (IOException e) {
            // the peer went away: that is how a connection ends here
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) s.close();
    }
}
