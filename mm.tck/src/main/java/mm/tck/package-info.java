/**
 * The conformance kit: one suite per contract, grading an implementation through the contract
 * alone, on fresh machines of its own. A {@link mm.tck.ConformanceSuite suite}
 * ({@link mm.tck.FrameAllocatorConformance}, {@link mm.tck.ObjectCacheConformance}) is a
 * list of {@link mm.tck.ConformanceCheck checks}, each proving one property of the contract; running
 * them gives a {@link mm.tck.ConformanceReport report} of {@link mm.tck.CheckResult results}.
 * The shell ({@code mm:tck}) runs a suite inside OSGi against an installed implementation;
 * {@link mm.tck.junit} runs it in an implementation's own JUnit 5 build.
 */
@Export
@Version("1.3.0")
package mm.tck;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
