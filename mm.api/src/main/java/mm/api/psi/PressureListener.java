package mm.api.psi;

import org.osgi.annotation.versioning.ConsumerType;

/** Told when a pressure trigger fires (the POLLPRI wake-up of a trigger's poll). */
@ConsumerType
@FunctionalInterface
public interface PressureListener {
    /** The trigger's growth reached its threshold within the window, at simulated time {@code nanos}. */
    void pressure(PsiResource resource, boolean full, long nanos);
}
