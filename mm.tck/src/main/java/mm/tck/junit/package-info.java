/**
 * The conformance suites as JUnit 5 tests: extend the abstract class of a contract, say which
 * factory makes the implementation, and every check becomes a dynamic test that fails with the
 * check's reason. The only package of the kit that needs JUnit; the bundle imports it optionally.
 */
@Export
@Version("1.1.0")
package mm.tck.junit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
