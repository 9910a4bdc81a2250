// A worker module that fails as it loads (test/unit/worker-pool.test.ts): its processes never become ready.
throw new Error('this worker cannot start');
