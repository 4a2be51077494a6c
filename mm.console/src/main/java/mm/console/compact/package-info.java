/** The text {@code mm:compact} prints. */
package mm.console.compact;
