/**
 * What every subsystem contract shares: the implementation's name, the service properties that
 * select it, and the hand-over that lets one implementation replace another while the machine
 * runs. See {@link mm.api.subsystem.Subsystem}.
 */
@Export
@Version("1.3.0")
package mm.api.subsystem;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
