package apogee.interop;

import java.util.HashMap;
import java.util.Map;

/** "--name value" pairs; a missing or malformed option stops the program with exit code 2. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] argv) {
        if (argv.length % 2 != 0) {
            fail("option '" + argv[argv.length - 1] + "' has no value");
        }
        for (int i = 0; i < argv.length; i += 2) {
            if (!argv[i].startsWith("--")) {
                fail("expected an option name, got '" + argv[i] + "'");
            }
            values.put(argv[i].substring(2), argv[i + 1]);
        }
    }

    String get(String name) {
        String v = values.get(name);
        if (v == null) {
            fail("missing option --" + name);
        }
        return v;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    int getInt(String name, int fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            fail("--" + name + " is not an integer: " + v);
            return fallback;
        }
    }

    long getLong(String name, long fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            fail("--" + name + " is not an integer: " + v);
            return fallback;
        }
    }

    static void fail(String message) {
        System.err.println("usage error: " + message);
        System.exit(2);
    }
}
