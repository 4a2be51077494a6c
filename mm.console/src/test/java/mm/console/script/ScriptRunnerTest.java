package mm.console.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The one line a failing statement gets. */
class ScriptRunnerTest {

    private static final IllegalArgumentException NOT_COERCED =
            new IllegalArgumentException("Cannot coerce mm:kmem_cache_create() to any of [(String, long, long, String)]");

    @Test
    void wrongArgumentsNameTheCommandsHelp() {
        assertEquals("wrong arguments: 'help mm:kmalloc' shows what mm:kmalloc takes",
                ScriptRunner.describe(NOT_COERCED, "mm:kmalloc foo bar"));
    }

    @Test
    void wrongArgumentsToAnAliasNameTheCommandItStandsFor() {
        assertEquals("wrong arguments: mm:cache-create is mm:kmem_cache_create: 'help mm:kmem_cache_create' shows what it takes",
                ScriptRunner.describe(NOT_COERCED, "  mm:cache-create foo"));
        assertEquals("wrong arguments: cache-free is mm:kmem_cache_free: 'help mm:kmem_cache_free' shows what it takes",
                ScriptRunner.describe(NOT_COERCED, "cache-free"));
    }

    @Test
    void anUnquotedPatternMatchingNoFileSaysToQuoteIt() {
        assertEquals("no file matches mm_page_*: Gogo takes an unquoted * or ? as a file name pattern; quote it: 'mm_page_*'",
                ScriptRunner.describe(new IOException("no matches found: mm_page_*"), "mm:trace on mm_page_*"));
    }

    /** A component class whose properties put it in scope mm: the class name, from its source. */
    private static final Pattern COMMAND_COMPONENT = Pattern.compile(
            "@Component\\([^;]*?\"osgi\\.command\\.scope=mm\"[^;]*?\\)\\s*public\\s+class\\s+(\\w+)", Pattern.DOTALL);

    /**
     * The launcher takes ScriptRunner's registration as the sign that the console is up: it must
     * reference every command component of the bundle, and the aliases, or a command can still be
     * missing then.
     */
    @Test
    void referencesEveryCommandComponent() throws IOException {
        Set<String> components = new TreeSet<>();
        Path sources = Path.of("src/main/java/mm/console");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = COMMAND_COMPONENT.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    components.add(m.group(1));
                }
            }
        }
        assertFalse(components.isEmpty(), "no command component found under " + sources.toAbsolutePath());
        Set<String> referenced = new TreeSet<>();
        for (Field field : ScriptRunner.class.getDeclaredFields()) {
            referenced.add(field.getType().getSimpleName());
        }
        components.add("CommandAliases");
        Set<String> missing = new TreeSet<>(components);
        missing.removeAll(referenced);
        assertEquals(Set.of(), missing, "command components ScriptRunner does not reference (of " + components + ")");
    }
}
