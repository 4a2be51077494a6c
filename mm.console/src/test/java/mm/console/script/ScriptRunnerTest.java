package mm.console.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
