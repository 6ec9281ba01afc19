/**
 * xterm.js and the addons a terminal tab uses, loaded on first use and shared by every tab. A lab
 * starts loading them as it comes near the viewport (LazyLab.tsx), so the screen is ready by the
 * time the server has opened the shell rather than fetched only then. Browser only: xterm.js
 * touches `window` when it is evaluated.
 */
type XtermModules = [
  typeof import('@xterm/xterm'),
  typeof import('@xterm/addon-fit'),
  typeof import('@xterm/addon-web-links'),
];

let loading: Promise<XtermModules> | undefined;

export function loadXterm(): Promise<XtermModules> {
  loading ??= Promise.all([
    import('@xterm/xterm'),
    import('@xterm/addon-fit'),
    import('@xterm/addon-web-links'),
  ]);
  // A chunk that did not arrive may be fetched again by the next terminal.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
