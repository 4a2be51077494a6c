package mm.swap;

import mm.api.subsystem.Subsystem;
import mm.api.subsystem.Switchboard;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** One installed implementation of a contract, as the switchboard tracks it. */
final class Tracked {
    /** {@link #machine} before it adopted one. */
    static final long NO_MACHINE = -1;

    final String contract;
    final String impl;
    final ServiceReference<?> ref;
    final Subsystem service;
    /** Set when it misbehaved (threw, blocked, broke an invariant); cleared when it adopts successfully. */
    volatile String problem;
    /**
     * The service id of the machine it adopted when it was made active, or {@link #NO_MACHINE}:
     * if another machine is registered when it leaves, the machine was rebooted under it.
     */
    volatile long machine = NO_MACHINE;

    Tracked(String contract, String impl, ServiceReference<?> ref, Subsystem service) {
        this.contract = contract;
        this.impl = impl;
        this.ref = ref;
        this.service = service;
    }

    boolean failed() {
        return problem != null;
    }

    /** The providing bundle's symbolic name. */
    String bundle() {
        Bundle b = ref.getBundle();
        return b == null ? "(uninstalled)" : b.getSymbolicName();
    }

    /** The public view of it. */
    Switchboard.Candidate view(boolean active) {
        Bundle b = ref.getBundle();
        String version = b == null ? "" : b.getVersion().toString();
        Switchboard.State state = active ? Switchboard.State.ACTIVE : failed() ? Switchboard.State.FAILED : Switchboard.State.DORMANT;
        return new Switchboard.Candidate(contract, impl, bundle(), version, state, impl.equals(Contracts.REFERENCES.get(contract)),
                problem);
    }

    @Override
    public String toString() {
        return contract + " '" + impl + "' (" + bundle() + ")";
    }
}
