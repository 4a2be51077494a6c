package mm.swap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import mm.api.machine.Machine;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;
import mm.api.subsystem.Switchboard;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * The switchboard: tracks every implementation of every contract (services of the contract's
 * interface with {@code mm.contract} and {@code mm.impl}), registers the active one a second time
 * with {@code mm.active=true} for consumers to target, and hands the machine from one to another
 * ({@link HandoverTransaction}). The choice is kept in its configuration ({@link ChoiceStore}).
 *
 * <p>At start, each contract waits for the implementation its configuration names, up to
 * {@code boot.grace.ms} (5 s), then takes its reference implementation. An implementation that
 * misbehaves ({@link #fail}) or whose bundle goes away while active is replaced by the reference.
 * Every change of state happens under one lock; the reads ({@link #active}, {@link #candidates})
 * take none.
 *
 * <p>A reboot ({@code mm:boot}: a new configuration of the machine) takes every implementation
 * away with the machine it ran on, and brings new ones bound to the new machine. An active
 * implementation that leaves because its machine is gone hands nothing over (there is nothing
 * left to hand) and changes no choice: the contract waits, as at start, for the implementation
 * its configuration names (up to the grace), and the new one adopts the new machine as at boot.
 */
@Component(service = Switchboard.class, immediate = true, configurationPid = Switchboard.PID)
public class SwitchboardComponent implements Switchboard {

    /** How long to wait at start for the configured implementation before taking the reference. */
    static final long BOOT_GRACE_MS = 5_000;

    private final BundleContext ctx;
    private final Timed timed = new Timed();
    private final HandoverTransaction transaction = new HandoverTransaction(timed);
    private final ChoiceStore store = new ChoiceStore();
    private final LoadDirectory load;
    private final ReentrantLock transitions = new ReentrantLock();
    private final List<Tracked> candidates = new CopyOnWriteArrayList<>();
    private final Map<String, Tracked> active = new ConcurrentHashMap<>();
    private final Map<String, ServiceRegistration<?>> registrations = new ConcurrentHashMap<>();
    private final List<String> registrationProblems = new CopyOnWriteArrayList<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;
    private final ServiceTracker<Object, Tracked> tracker;
    private final Consumer<String> log;
    private final long grace;
    private volatile boolean settled;
    private volatile boolean closing;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConfigurationAdmin cm;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ServiceComponentRuntime scr;

    @Activate
    public SwitchboardComponent(BundleContext ctx, Map<String, Object> config) throws InvalidSyntaxException {
        this.ctx = ctx;
        this.log = line -> System.err.println("mm: " + line);
        this.load = new LoadDirectory(ctx);
        store.start(config);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mm-switchboard");
            t.setDaemon(true);
            return t;
        });
        this.tracker = new ServiceTracker<>(ctx, ctx.createFilter(Contracts.candidateFilter()), new Tracking());
        tracker.open();
        this.grace = longProperty(config, "boot.grace.ms", BOOT_GRACE_MS);
        scheduler.schedule(this::settle, grace, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::logLoadProblems, 1, 2, TimeUnit.SECONDS);
    }

    @Modified
    void modified(Map<String, Object> config) {
        if (store.ownWrite(config)) {
            return;
        }
        store.edited(config);
        if (!settled) {
            return;
        }
        for (Map.Entry<String, String> e : ChoiceStore.choices(config).entrySet()) {
            Tracked a = active.get(e.getKey());
            if (a == null || !a.impl.equals(e.getValue())) {
                scheduler.execute(() -> applyEdit(e.getKey(), e.getValue()));
            }
        }
    }

    /**
     * The switchboard stops: the active implementations quiesce (unless the whole framework is
     * stopping), so that none keeps running unseen while another adopts the machine at the next start.
     */
    @Deactivate
    void deactivate() {
        closing = true;
        scheduler.shutdownNow();
        load.close();
        if (!frameworkStopping()) {
            for (Tracked a : active.values()) {
                quiesceQuietly(a);
            }
        }
        tracker.close();
        for (ServiceRegistration<?> r : registrations.values()) {
            unregister(r);
        }
        registrations.clear();
        active.clear();
        timed.close();
    }

    // ---- reads -------------------------------------------------------------------------------

    /** By contract in {@link #CONTRACTS}' order; within one, the reference first, then by name. */
    @Override
    public List<Switchboard.Candidate> candidates() {
        List<Switchboard.Candidate> list = new ArrayList<>();
        for (String contract : CONTRACTS) {
            for (Tracked c : candidates) {
                if (c.contract.equals(contract)) {
                    list.add(c.view(active.get(contract) == c));
                }
            }
        }
        list.sort(Comparator.comparingInt((Switchboard.Candidate c) -> CONTRACTS.indexOf(c.contract()))
                .thenComparing(c -> !c.reference()).thenComparing(Switchboard.Candidate::impl));
        return list;
    }

    @Override
    public List<String> problems() {
        List<String> lines = new ArrayList<>(registrationProblems);
        lines.addAll(load.problems(candidates, scr));
        return lines;
    }

    @Override
    public String active(String contract) {
        Tracked c = active.get(contract);
        return c == null ? null : c.impl;
    }

    // ---- changes -----------------------------------------------------------------------------

    @Override
    public Swap use(String contract, String impl) {
        requireContract(contract);
        lock();
        try {
            Tracked next = find(contract, impl);
            if (next == null) {
                throw new IllegalArgumentException(unknownImpl(contract, impl));
            }
            Tracked old = active.get(contract);
            if (old == next) {
                return new Swap(contract, impl, impl, 0);
            }
            if (old == null) {
                String why = activateFirst(next);
                if (why != null) {
                    throw new IllegalStateException(contract + ": " + impl + " could not adopt the machine: " + why);
                }
                save(contract, impl);
                return new Swap(contract, "none", impl, 0);
            }
            Swap swap;
            try {
                swap = transaction.run(old, next);
            } catch (HandoverTransaction.Failed e) {
                if (e.newOneFailed) {
                    next.problem = e.getMessage();
                }
                if (!e.rolledBack) {
                    active.remove(contract);
                    String after = restoreReference(contract, old, e.getMessage());
                    throw new IllegalStateException(contract + ": the hand-over from " + old.impl + " to " + impl + " failed: "
                            + e.getMessage() + "; " + after);
                }
                throw new IllegalStateException(contract + ": the hand-over from " + old.impl + " to " + impl + " failed: "
                        + e.getMessage());
            }
            next.problem = null;
            switchRegistration(contract, next);
            save(contract, impl);
            return swap;
        } finally {
            transitions.unlock();
        }
    }

    @Override
    public String fail(String contract, String reason) {
        requireContract(contract);
        lock();
        try {
            Tracked a = active.get(contract);
            if (a == null) {
                return contract + ": no implementation is active";
            }
            if (a.impl.equals(Contracts.REFERENCES.get(contract))) {
                return contract + ": " + a.impl + " misbehaved (" + reason + "); it is the reference implementation and stays active";
            }
            a.problem = reason;
            return contract + ": " + a.impl + " misbehaved (" + reason + ") and was deactivated; "
                    + restoreReference(contract, a, reason);
        } finally {
            transitions.unlock();
        }
    }

    /** Applies an edit of the configuration made outside the switchboard. */
    private void applyEdit(String contract, String impl) {
        try {
            Swap s = use(contract, impl);
            log.accept(contract + ": " + s.to() + " is active, as the configuration " + PID + " now says (was " + s.from() + ")");
        } catch (RuntimeException e) {
            log.accept(contract + ": the configuration " + PID + " names " + impl + ", which was not made active: " + e.getMessage());
        }
    }

    /**
     * The reference implementation takes the machine from {@code from}, which misbehaved or is
     * going away; if it cannot, any other healthy implementation does.
     *
     * @return what the contract runs now, one line
     */
    private String restoreReference(String contract, Tracked from, String reason) {
        List<Tracked> order = new ArrayList<>();
        Tracked ref = find(contract, Contracts.REFERENCES.get(contract));
        if (ref != null && ref != from) {
            order.add(ref);
        }
        for (Tracked c : candidates) {
            if (c.contract.equals(contract) && c != from && c != ref && !c.failed()) {
                order.add(c);
            }
        }
        Handover h = quiesceQuietly(from);
        for (Tracked next : order) {
            try {
                transaction.adoptAndCheck(next, h);
            } catch (Timed.CallFailed e) {
                next.problem = e.getMessage();
                continue;
            }
            transaction.forward(from, next);
            next.problem = null;
            switchRegistration(contract, next);
            save(contract, next.impl);
            return next.impl + " is active" + (next == ref ? " (the reference implementation)" : "");
        }
        withdraw(contract);
        return "no other implementation could take the machine: " + contract + " has none active";
    }

    /** Stops an implementation that is leaving, as well as it will: the frame table says the rest. */
    private Handover quiesceQuietly(Tracked from) {
        try {
            return transaction.quiesce(from, HandoverTransaction.QUIESCE_MS / 2);
        } catch (Timed.CallFailed e) {
            return HandoverTransaction.empty(from);
        }
    }

    /** The first implementation of a contract adopts the machine: at boot, or when none is active. */
    private String activateFirst(Tracked c) {
        try {
            transaction.adoptAndCheck(c, Handover.BOOT);
        } catch (Timed.CallFailed e) {
            c.problem = e.getMessage();
            return e.getMessage();
        }
        c.problem = null;
        switchRegistration(c.contract, c);
        return null;
    }

    /** Registers {@code next} as the contract's active implementation, then withdraws the previous registration. */
    private void switchRegistration(String contract, Tracked next) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Subsystem.PROP_CONTRACT, contract);
        props.put(Subsystem.PROP_IMPL, next.impl);
        props.put(PROP_ACTIVE, Boolean.TRUE);
        props.put("mm.bundle", next.bundle());
        ServiceRegistration<?> reg = ctx.registerService(Contracts.INTERFACES.get(contract).getName(), next.service, props);
        next.machine = machineId();
        active.put(contract, next);
        unregister(registrations.put(contract, reg));
    }

    /** The contract has no active implementation any more, nor its registration. */
    private void withdraw(String contract) {
        active.remove(contract);
        unregister(registrations.remove(contract));
    }

    /** The framework is stopping (or gone): nothing is handed over then. */
    private boolean frameworkStopping() {
        Bundle system = ctx.getBundle(0);
        return system == null || system.getState() == Bundle.STOPPING;
    }

    private static void unregister(ServiceRegistration<?> r) {
        if (r == null) {
            return;
        }
        try {
            r.unregister();
        } catch (IllegalStateException e) {
            // already gone with the framework
        }
    }

    private void save(String contract, String impl) {
        String why = store.save(cm, contract, impl);
        if (why != null && logged.add(why)) {
            log.accept(why);
        }
    }

    /** After the start's grace: each contract without an active implementation takes the configured one, or the reference. */
    private void settle() {
        lock();
        try {
            settled = true;
            for (String contract : CONTRACTS) {
                if (active.containsKey(contract)) {
                    continue;
                }
                String want = store.chosen(contract);
                Tracked c = want == null ? null : find(contract, want);
                if (c == null || c.failed()) {
                    String reference = Contracts.REFERENCES.get(contract);
                    if (want != null && !want.equals(reference) && find(contract, reference) != null) {
                        log.accept(contract + ": " + want + " (the choice saved in " + PID + ") is not installed; " + reference
                                + " is active");
                    }
                    c = find(contract, reference);
                }
                if (c != null) {
                    activateOrLog(c);
                }
            }
        } finally {
            transitions.unlock();
        }
    }

    private void activateOrLog(Tracked c) {
        String why = activateFirst(c);
        if (why != null) {
            log.accept(c.contract + ": " + c.impl + " could not adopt the machine: " + why);
            if (!c.impl.equals(Contracts.REFERENCES.get(c.contract))) {
                Tracked ref = find(c.contract, Contracts.REFERENCES.get(c.contract));
                if (ref != null && activateFirst(ref) == null) {
                    log.accept(c.contract + ": " + ref.impl + " is active");
                }
            }
        }
    }

    /** A new implementation: the first of its contract adopts the machine if the configuration wants it (or, once settled, if it is the reference). */
    private void arrived(Tracked c) {
        Tracked current = active.get(c.contract);
        String chosen = store.chosen(c.contract);
        String want = chosen != null ? chosen : Contracts.REFERENCES.get(c.contract);
        if (current == null) {
            if (c.impl.equals(want) || (settled && c.impl.equals(Contracts.REFERENCES.get(c.contract)))) {
                activateOrLog(c);
            }
        } else if (settled && c.impl.equals(want) && !current.impl.equals(want)) {
            scheduler.execute(() -> applyEdit(c.contract, c.impl));
        }
    }

    /** An implementation goes away; if it is active, another takes the machine while its object still answers. */
    private void leaving(Tracked c) {
        try {
            if (active.get(c.contract) != c) {
                return;
            }
            if (closing || frameworkStopping()) {
                withdraw(c.contract);
                return;
            }
            if (machineId() != c.machine) {
                rebooting(c);
                return;
            }
            String now = restoreReference(c.contract, c, "its bundle went away");
            log.accept(c.contract + ": " + c.impl + " (" + c.bundle() + ") went away while active; " + now);
        } finally {
            // listed until the hand-over is done: whoever sees it gone sees the machine in other hands
            candidates.remove(c);
        }
    }

    /**
     * The active {@code c} leaves with the machine it ran on (a reboot): nothing to hand over, no
     * choice to change. Until the grace has passed again, only the chosen implementation of each
     * contract takes the new machine as it arrives ({@link #arrived}); then {@link #settle} gives
     * the reference to the contracts still without one.
     */
    private void rebooting(Tracked c) {
        withdraw(c.contract);
        if (settled) {
            settled = false;
            scheduler.schedule(this::settle, grace, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The service id of the registered machine, or {@link Tracked#NO_MACHINE}. While the machine is being
     * unregistered it is already gone from the registry (the framework removes it before telling
     * the listeners), so an implementation leaving with it sees no machine, or a new one.
     */
    private long machineId() {
        ServiceReference<Machine> ref = ctx.getServiceReference(Machine.class);
        Object id = ref == null ? null : ref.getProperty(Constants.SERVICE_ID);
        return id instanceof Long l ? l : Tracked.NO_MACHINE;
    }

    private void logLoadProblems() {
        try {
            for (String p : load.problems(candidates, scr)) {
                if (logged.add(p)) {
                    log.accept(p);
                }
            }
        } catch (RuntimeException e) {
            // a scan that failed is retried at the next tick
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void lock() {
        try {
            if (!transitions.tryLock(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("another hand-over has been running for 30 s; try again later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another hand-over");
        }
    }

    private static void requireContract(String contract) {
        if (contract == null || !Contracts.INTERFACES.containsKey(contract)) {
            throw new IllegalArgumentException("unknown contract '" + contract + "': the contracts are " + Contracts.names());
        }
    }

    private Tracked find(String contract, String impl) {
        for (Tracked c : candidates) {
            if (c.contract.equals(contract) && c.impl.equals(impl)) {
                return c;
            }
        }
        return null;
    }

    private String unknownImpl(String contract, String impl) {
        Set<String> names = new LinkedHashSet<>();
        for (Switchboard.Candidate c : candidates()) {
            if (c.contract().equals(contract)) {
                names.add(c.impl());
            }
        }
        return "no " + contract + " implementation named '" + impl + "': "
                + (names.isEmpty() ? "none is installed" : "installed are " + String.join(", ", names));
    }

    /** A non-negative whole number of the configuration, or {@code dflt} (with one line saying so) if it is malformed. */
    private long longProperty(Map<String, Object> config, String key, long dflt) {
        Object v = config == null ? null : config.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.toString().strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        log.accept(PID + ": " + key + " = '" + v + "' is not a duration: accepted is a whole number of milliseconds, 0 or more; "
                + dflt + " is used");
        return dflt;
    }

    /** Turns service registrations into candidates. */
    private final class Tracking implements ServiceTrackerCustomizer<Object, Tracked> {

        @Override
        public Tracked addingService(ServiceReference<Object> ref) {
            String contract = Contracts.contractOf(ref.getProperty(Subsystem.PROP_CONTRACT));
            Object name = ref.getProperty(Subsystem.PROP_IMPL);
            String from = ref.getBundle() == null ? "?" : ref.getBundle().getSymbolicName();
            if (contract == null) {
                registrationProblems.add("bundle " + from + " registers an implementation without a known mm.contract ("
                        + ref.getProperty(Subsystem.PROP_CONTRACT) + "): the contracts are " + Contracts.names());
                return null;
            }
            if (!(name instanceof String impl) || impl.isBlank()) {
                registrationProblems.add("bundle " + from + " registers a " + contract + " whose mm.impl is not a name");
                return null;
            }
            Object svc = ctx.getService(ref);
            if (!Contracts.INTERFACES.get(contract).isInstance(svc)) {
                if (svc != null) {
                    ctx.ungetService(ref);
                }
                registrationProblems.add("bundle " + from + " registers " + impl + " as a " + contract
                        + " but its object is not one (" + (svc == null ? "null" : svc.getClass().getName()) + ")");
                return null;
            }
            lock();
            try {
                Tracked same = find(contract, impl);
                if (same != null) {
                    ctx.ungetService(ref);
                    registrationProblems.add("bundle " + from + " registers a second " + contract + " named '" + impl
                            + "'; the one from " + same.bundle() + " is kept");
                    return null;
                }
                Tracked c = new Tracked(contract, impl, ref, (Subsystem) svc);
                candidates.add(c);
                arrived(c);
                return c;
            } finally {
                transitions.unlock();
            }
        }

        @Override
        public void modifiedService(ServiceReference<Object> ref, Tracked c) {
        }

        @Override
        public void removedService(ServiceReference<Object> ref, Tracked c) {
            lock();
            try {
                leaving(c);
            } finally {
                transitions.unlock();
                ctx.ungetService(ref);
            }
        }
    }
}
