/** Leaving the web app for an app's own address (where OAuth sends the person back): one object, so tests watch it. */
export const browser = {
  leaveTo(url: string): void {
    window.location.assign(url);
  },
};
