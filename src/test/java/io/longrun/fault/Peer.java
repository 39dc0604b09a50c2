package io.longrun.fault;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/** A client of the proxy on a real socket, measuring from outside: round trips, reads, and how the connection ends. */
final class Peer implements AutoCloseable {
    final Socket socket;

    Peer(String address) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(address.substring(0, address.lastIndexOf(':')),
                Integer.parseInt(address.substring(address.lastIndexOf(':') + 1))), 5000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
    }

    /** Writes a message and reads as many bytes back (through an echo upstream); returns the round trip in ms. */
    double roundTrip(byte[] message) throws IOException {
        long t0 = System.nanoTime();
        socket.getOutputStream().write(message);
        byte[] back = readExactly(message.length);
        if (!Arrays.equals(back, message)) throw new AssertionError("the echo came back changed");
        return (System.nanoTime() - t0) / 1e6;
    }

    byte[] readExactly(int n) throws IOException {
        byte[] out = new byte[n];
        InputStream in = socket.getInputStream();
        for (int got = 0; got < n; ) {
            int r = in.read(out, got, n - got);
            if (r < 0) throw new IOException("closed after " + got + " of " + n + " bytes");
            got += r;
        }
        return out;
    }

    /** What one read gives within {@code ms}: "data", "eof", "timeout", or the exception's message (e.g. "Connection reset"). */
    String readOutcome(int ms) throws IOException {
        socket.setSoTimeout(ms);
        try {
            int r = socket.getInputStream().read(new byte[1024]);
            return r < 0 ? "eof" : "data";
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (IOException e) {
            return e.getMessage();
        } finally {
            socket.setSoTimeout(30_000);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
