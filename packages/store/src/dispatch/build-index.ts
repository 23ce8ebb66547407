import type { IndexService } from '../index/index-service.js';
import type { CommitLogDispatcher, DispatchRequest } from './dispatch-request.js';

// Dispatcher 2 (RocketMQ's CommitLogDispatcherBuildIndex).
export class BuildIndexDispatcher implements CommitLogDispatcher {
  readonly name = 'BuildIndex';

  constructor(private readonly index: IndexService) {}

  dispatch(req: DispatchRequest): void {
    this.index.dispatch(req);
  }
}
