import { Button, Result } from 'antd';
import { Component, type ReactNode } from 'react';

/** A failure in one page shows a message and a way back, never a blank screen. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (this.state.error) {
      return (
        <Result
          status="error"
          title="页面出现错误"
          subTitle={this.state.error.message}
          extra={
            <Button type="primary" onClick={() => window.location.assign('/')}>
              返回首页
            </Button>
          }
        />
      );
    }
    return this.props.children;
  }
}
