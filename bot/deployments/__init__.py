"""Failed deployments, diagnosed before anyone pastes (issue 14).

Two ways in, one way out:
- `alerts_http`: Azure Monitor's webhook (`POST /alerts/azure-monitor`) stores each alert and
  handles it in the background;
- `watcher`: every DEPLOY_WATCH_INTERVAL_S the worker (or `troubleshoot-bot deployments check`)
  lists the workspace's deployments (`inventory`) and the alerts not handled yet.
Both hand a failed deployment to `watcher.report_failure`, which claims the failure episode
(`service.claim`: one row per resource and episode, so one post across any number of workers),
fetches and diagnoses the logs through bot.logs, posts the card (`render`) to the channels
watching the deployment, and records the incident.
"""
