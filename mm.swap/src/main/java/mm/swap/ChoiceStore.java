package mm.swap;

import java.io.IOException;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import mm.api.subsystem.Switchboard;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The active implementation of each contract, kept in the configuration {@value Switchboard#PID}
 * of Configuration Admin ({@code FrameAllocator=bitmap}), which persists it
 * ({@code felix.cm.dir}) so that the choice survives a restart.
 *
 * <p>Each write carries a sequence number ({@value #SEQ}), so that the switchboard can tell the
 * configuration updates it caused from edits made by someone else, which it applies.
 */
final class ChoiceStore {

    /** The property that numbers the switchboard's own writes. */
    static final String SEQ = "mm.switchboard.seq";

    /** The implementation each contract should run: the switchboard's choices and edits from elsewhere alike. */
    private final Map<String, String> chosen = new HashMap<>();
    /** What the switchboard last wrote, to recognise its own writes when they come back. */
    private final Map<String, String> written = new HashMap<>();
    private long seq;

    /** The implementation chosen for a contract, or null if none was. */
    synchronized String chosen(String contract) {
        return chosen.get(contract);
    }

    /** An edit of the configuration made elsewhere: its choices replace the ones known. */
    synchronized void edited(Map<String, ?> props) {
        chosen.clear();
        chosen.putAll(choices(props));
    }

    /** The choices a configuration's properties make: contract to implementation, known contracts only. */
    static Map<String, String> choices(Map<String, ?> props) {
        Map<String, String> m = new HashMap<>();
        if (props != null) {
            for (String contract : Switchboard.CONTRACTS) {
                Object v = props.get(contract);
                if (v instanceof String s && !s.isBlank()) {
                    m.put(contract, s.strip());
                }
            }
        }
        return m;
    }

    /**
     * True if these properties are one of the switchboard's own writes (the latest, or an older
     * one delivered late), false for an edit from elsewhere.
     */
    synchronized boolean ownWrite(Map<String, ?> props) {
        Object s = props == null ? null : props.get(SEQ);
        long n;
        try {
            n = s == null ? -1 : Long.parseLong(s.toString());
        } catch (NumberFormatException e) {
            return false;
        }
        if (n < 0 || n > seq) {
            return false;
        }
        return n < seq || choices(props).equals(written);
    }

    /**
     * Records that {@code contract} now runs {@code impl}.
     *
     * @return null, or one line if the choice could not be kept (no Configuration Admin, I/O)
     */
    synchronized String save(ConfigurationAdmin cm, String contract, String impl) {
        chosen.put(contract, impl);
        written.clear();
        written.putAll(chosen);
        if (cm == null) {
            return "the choice is not kept across restarts: Configuration Admin is not running";
        }
        try {
            Configuration c = cm.getConfiguration(Switchboard.PID, "?");
            Dictionary<String, Object> props = c.getProperties();
            Dictionary<String, Object> next = new Hashtable<>();
            if (props != null) {
                for (var keys = props.keys(); keys.hasMoreElements();) {
                    String k = keys.nextElement();
                    next.put(k, props.get(k));
                }
            }
            for (Map.Entry<String, String> e : chosen.entrySet()) {
                next.put(e.getKey(), e.getValue());
            }
            seq++;
            next.put(SEQ, Long.toString(seq));
            c.update(next);
            return null;
        } catch (IOException | RuntimeException e) {
            return "the choice could not be saved: " + e.getMessage();
        }
    }

    /** The choices known when the switchboard starts, from its configuration. */
    synchronized void start(Map<String, ?> props) {
        edited(props);
        written.clear();
        written.putAll(chosen);
        Object s = props == null ? null : props.get(SEQ);
        try {
            seq = s == null ? 0 : Long.parseLong(s.toString());
        } catch (NumberFormatException e) {
            seq = 0;
        }
    }
}
