package mm.console.commands;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.MachineFactory;
import mm.api.slab.ObjectCacheFactory;
import mm.api.subsystem.Subsystem;
import mm.api.subsystem.Switchboard;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * What the commands that run implementations on fresh machines share ({@code mm:tck},
 * {@code mm:replay}): the machine factory, the switchboard, and the installed factories of each
 * contract by implementation name.
 */
abstract class FactoryCommands {

    @Reference
    volatile MachineFactory machines;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Switchboard switchboard;

    /** Frame allocator factories by implementation name, as they come and go. */
    final List<Map.Entry<String, FrameAllocatorFactory>> factories = new CopyOnWriteArrayList<>();
    /** Object cache factories by implementation name. */
    final List<Map.Entry<String, ObjectCacheFactory>> cacheFactories = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFactory(FrameAllocatorFactory f, Map<String, Object> props) {
        factories.add(Map.entry(String.valueOf(props.get(Subsystem.PROP_IMPL)), f));
    }

    void removeFactory(FrameAllocatorFactory f) {
        factories.removeIf(e -> e.getValue() == f);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCacheFactory(ObjectCacheFactory f, Map<String, Object> props) {
        cacheFactories.add(Map.entry(String.valueOf(props.get(Subsystem.PROP_IMPL)), f));
    }

    void removeCacheFactory(ObjectCacheFactory f) {
        cacheFactories.removeIf(e -> e.getValue() == f);
    }

    /** The factory of the implementation named {@code impl}, or null. */
    static <F> F find(List<Map.Entry<String, F>> list, String impl) {
        for (Map.Entry<String, F> e : list) {
            if (e.getKey().equals(impl)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * The factory of the first implementation named that has one (null names skipped), else the
     * first installed, else null.
     */
    static <F> F firstOf(List<Map.Entry<String, F>> list, String... preferred) {
        for (String impl : preferred) {
            F f = impl == null ? null : find(list, impl);
            if (f != null) {
                return f;
            }
        }
        return list.isEmpty() ? null : list.get(0).getValue();
    }

    /** The active implementation's name of a contract, or null (none active, or no switchboard). */
    String active(String contract) {
        Switchboard sb = switchboard;
        return sb == null ? null : sb.active(contract);
    }

    /** The names of the implementations that have a factory, sorted and joined, or {@code none} when there is none. */
    static <F> String listed(List<Map.Entry<String, F>> list, String none) {
        List<String> names = names(list);
        return names.isEmpty() ? none : String.join(", ", names);
    }

    /** The names of the implementations that have a factory, sorted. */
    static <F> List<String> names(List<Map.Entry<String, F>> list) {
        return list.stream().map(Map.Entry::getKey).sorted().toList();
    }
}
