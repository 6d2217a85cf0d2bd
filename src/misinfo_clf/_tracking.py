"""Optional experiment tracking with MLflow.

Nothing here runs unless asked (``train(..., mlflow=...)``, ``evaluate(..., mlflow=...)``,
``--mlflow`` on the commands); ``mlflow`` (or ``mlflow-skinny``) is then imported, and
its absence is a clear error. A run records the parameters, the flat metrics, the report
files and the model directory as artifacts.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

__all__ = ["log_run"]


def _mlflow():
    try:
        import mlflow
    except ImportError:
        raise ImportError(
            "MLflow tracking was asked for but mlflow is not installed: "
            "pip install mlflow-skinny (or mlflow)."
        ) from None
    return mlflow


def _flat(prefix: str, value, out: dict) -> None:
    """Numbers of a nested dict as ``a.b.c`` keys (MLflow wants flat names)."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        out[prefix] = float(value)
    elif isinstance(value, Mapping):
        for k, v in value.items():
            _flat(f"{prefix}.{k}" if prefix else str(k), v, out)


def _params(prefix: str, value, out: dict) -> None:
    if isinstance(value, Mapping):
        for k, v in value.items():
            _params(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out[prefix] = str(value)[:500]


def log_run(
    tracking,
    *,
    run_name: str,
    params: Mapping | None = None,
    metrics: Mapping | None = None,
    files=(),
    model_dir=None,
    tags: Mapping | None = None,
) -> str:
    """Log one MLflow run; returns its run id.

    Parameters
    ----------
    tracking : True or str
        ``True``: MLflow's own configuration (``MLFLOW_TRACKING_URI``, else ``./mlruns``);
        a string: the tracking URI (e.g. ``file:///path/mlruns``).
    params, metrics : mapping
        Nested dicts are flattened to ``a.b`` names; metrics keep numbers only.
    files : iterable of paths
        Report files, logged under ``reports/``.
    model_dir : path, optional
        Logged as the ``model`` artifact directory.
    """
    mlflow = _mlflow()
    if isinstance(tracking, str):
        mlflow.set_tracking_uri(tracking)
    flat_params: dict = {}
    _params("", dict(params or {}), flat_params)
    flat_metrics: dict = {}
    _flat("", dict(metrics or {}), flat_metrics)
    flat_metrics = {k.replace(" ", "_"): v for k, v in flat_metrics.items()}
    with mlflow.start_run(run_name=run_name) as run:
        if tags:
            mlflow.set_tags({k: str(v) for k, v in tags.items()})
        if flat_params:
            mlflow.log_params(flat_params)
        if flat_metrics:
            mlflow.log_metrics(flat_metrics)
        for f in files:
            if Path(f).is_file():
                mlflow.log_artifact(str(f), artifact_path="reports")
        if model_dir is not None:
            mlflow.log_artifacts(str(model_dir), artifact_path="model")
        return run.info.run_id
