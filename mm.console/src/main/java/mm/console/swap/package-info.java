/** Text of the commands that show and change which implementation of each contract is active. */
package mm.console.swap;
