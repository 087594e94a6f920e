package io.durableflows.api.bootstrap;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;

/**
 * Keeps the test server from routing a run's workflow tasks to one worker process's sticky queue, for workers
 * that reach it over the network (other processes, which may die while the server lives on).
 *
 * <p>A worker that completes a workflow task asks the server to send the run's next task to its own sticky queue,
 * where it keeps the run cached. A real Temporal server gives such a task a schedule-to-start timeout (5 s) and then
 * moves it to the normal task queue, so a run whose worker died goes on elsewhere. Temporal's Java test server has
 * no such timeout (nor {@code ResetStickyTaskQueue}): after a worker is killed, each run it had cached waits
 * forever on the dead worker's queue — new workers never see the run's next task, and queries to the run (event
 * streams) go unanswered. Dropping the sticky attributes from completed workflow tasks keeps every task on the
 * normal queue, with the whole history, for any worker to take; the price is that workers replay a run's history
 * on each of its tasks. Workers in the server's own JVM (in-process) keep sticky execution: they cannot outlive it.
 */
final class NoStickyExecution implements ServerInterceptor {
  private static final String COMPLETED = WorkflowServiceGrpc.getRespondWorkflowTaskCompletedMethod().getFullMethodName();

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    ServerCall.Listener<ReqT> listener = next.startCall(call, headers);
    if (!COMPLETED.equals(call.getMethodDescriptor().getFullMethodName())) return listener;
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      @SuppressWarnings("unchecked")
      public void onMessage(ReqT message) {
        if (message instanceof RespondWorkflowTaskCompletedRequest completed && completed.hasStickyAttributes()) {
          message = (ReqT) completed.toBuilder().clearStickyAttributes().build();
        }
        super.onMessage(message);
      }
    };
  }
}
