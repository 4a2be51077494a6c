/**
 * Text of the replay commands: the report of one replay and the side-by-side table of a
 * comparison, each a pure function of the {@code mm.replay} reports (timings only when asked, so
 * that the same script prints the same output).
 */
package mm.console.replay;
