package apogee.interop;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line of JSON on stdout, read by the harness (jsonLines / JavaProgram). Hand-written so the
 * programs compile unchanged against the 4.9 and 5.x clients, whichever JSON library they bundle.
 */
final class Json {
    private static final Object PRINT_LOCK = new Object();
    private final StringBuilder out = new StringBuilder("{");

    static Json event(String name) {
        return new Json().put("event", name);
    }

    Json put(String key, String value) {
        key(key);
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    Json put(String key, long value) {
        key(key);
        out.append(value);
        return this;
    }

    Json put(String key, boolean value) {
        key(key);
        out.append(value);
        return this;
    }

    Json put(String key, Map<String, String> value) {
        key(key);
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(value).entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(e.getKey());
            out.append(':');
            quote(e.getValue());
        }
        out.append('}');
        return this;
    }

    Json putInts(String key, Collection<Integer> values) {
        key(key);
        out.append('[');
        boolean first = true;
        for (Integer v : values) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(v);
        }
        out.append(']');
        return this;
    }

    /** Prints the line and flushes; lines from several threads never interleave. */
    void print() {
        out.append('}');
        synchronized (PRINT_LOCK) {
            System.out.println(out);
            System.out.flush();
        }
    }

    private void key(String key) {
        if (out.length() > 1) {
            out.append(',');
        }
        quote(key);
        out.append(':');
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
