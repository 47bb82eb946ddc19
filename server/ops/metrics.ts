// Prometheus metrics of this process (prom-client). Each app has its own registry (tests build
// several apps in one process); metrics are per process by nature, Prometheus sums the processes.
// Gauges that describe the whole deployment (live meetings) are read from the database when
// scraped, so every process answers the same; sockets are this process's own.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets (seconds) for requests and commands: 1 ms … 10 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** PDF work takes longer: 10 ms … 2 min. */
const PDF_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export interface MetricsSources {
  /** sockets connected to this process */
  sockets: () => number;
  /** meetings whose status is running or paused (database, same for every process) */
  liveMeetings: () => Promise<number>;
  /** tasks waiting per PDF worker pool ('files', 'exports') */
  pdfQueues: () => Record<string, number>;
  /** e-mails in the outbox by status (database, same for every process); null: no SMTP configured */
  mailOutbox: () => Promise<Record<string, number> | null>;
}

export class AppMetrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'hopso_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly commandDuration = new Histogram({
    name: 'hopso_live_command_duration_seconds',
    help: 'Live command latency (decode, authorise, append, commit) by command type and outcome (ok or the refusal code)',
    labelNames: ['type', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly uploadDuration = new Histogram({
    name: 'hopso_document_upload_duration_seconds',
    help: 'Document upload, from first byte to stored row, by outcome',
    labelNames: ['outcome'] as const,
    buckets: PDF_BUCKETS,
    registers: [this.registry],
  });
  readonly inspectionDuration = new Histogram({
    name: 'hopso_pdf_inspection_duration_seconds',
    help: 'PDF inspection (pdf.js in the files worker pool) of an upload, by outcome',
    labelNames: ['outcome'] as const,
    buckets: PDF_BUCKETS,
    registers: [this.registry],
  });
  readonly logins = new Counter({
    name: 'hopso_logins_total',
    help: 'Sign-in attempts by provider (local, ldap, oidc) and outcome (ok or the error code)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor(sources: MetricsSources) {
    // process and Node metrics, among them nodejs_eventloop_lag_seconds and its percentiles
    collectDefaultMetrics({ register: this.registry, prefix: '', eventLoopMonitoringPrecision: 20 });
    new Gauge({
      name: 'hopso_sockets_connected',
      help: 'Socket.IO connections open to this process',
      registers: [this.registry],
      collect() {
        this.set(sources.sockets());
      },
    });
    new Gauge({
      name: 'hopso_meetings_live',
      help: 'Meetings running or paused (from the database)',
      registers: [this.registry],
      // prom-client awaits an asynchronous collect (the Store's reads are asynchronous)
      async collect() {
        this.set(await sources.liveMeetings());
      },
    });
    new Gauge({
      name: 'hopso_pdf_queue_depth',
      help: 'PDF tasks waiting for a worker, by pool',
      labelNames: ['pool'] as const,
      registers: [this.registry],
      collect() {
        // both pools always reported (0 before first use), so a dashboard's series never vanishes
        const q = { files: 0, exports: 0, ...sources.pdfQueues() };
        for (const [pool, n] of Object.entries(q)) this.set({ pool }, n);
      },
    });
    new Gauge({
      name: 'hopso_mail_outbox',
      help: 'E-mail notifications in the outbox by status: pending (queued or retrying), failed (gave up); only with SMTP configured',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const m = await sources.mailOutbox();
        if (m === null) return;
        for (const [status, n] of Object.entries({ pending: 0, failed: 0, ...m })) this.set({ status }, n);
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
