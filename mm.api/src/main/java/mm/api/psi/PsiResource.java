package mm.api.psi;

/** The resources PSI tracks ({@code enum psi_res}). */
public enum PsiResource {
    IO("io"), MEMORY("memory"), CPU("cpu"), IRQ("irq");

    private final String fileName;

    PsiResource(String fileName) {
        this.fileName = fileName;
    }

    /** The file under /proc/pressure/. */
    public String fileName() {
        return fileName;
    }
}
