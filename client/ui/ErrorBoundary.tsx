import { Component, type ErrorInfo, type ReactNode } from 'react';
import { createLogger } from '../app/log.ts';

const log = createLogger('ui');

/**
 * Turns a render failure into a message with a way out instead of a blank page. The common
 * case is a new deploy: this tab still runs the old build, whose lazily loaded chunks are gone.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    log.error('render failed', { error, componentStack: info.componentStack });
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const updated = /dynamically imported module|Importing a module script failed|chunk/i.test(error.message);
    return (
      <div className="error" role="alert">
        <p>{updated ? 'Guildhall was updated while this page was open.' : 'Something went wrong while showing this page.'}</p>
        <button type="button" onClick={() => location.reload()}>Reload</button>
      </div>
    );
  }
}
