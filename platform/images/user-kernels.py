# Installed as /usr/local/etc/jupyter/jupyter_server_config.py (system configuration).
# JupyterLab lists the kernels users register themselves (a generated project's `make kernel`:
# `ipykernel install --user`, into ~/.local/share/jupyter/kernels). The hub starts servers with
# disable_user_config, which drops every folder under the home from Jupyter's search paths: that
# keeps users' ~/.jupyter configuration and server extensions out, but hides their kernels too. A
# kernel runs as the user, as the terminal does: listing the ones in the home gives nothing more.
# They come last, so the image's kernels win a name clash.
import os

from jupyter_client.kernelspec import KernelSpecManager


class KernelsOfTheUserToo(KernelSpecManager):
    def _kernel_dirs_default(self):
        home = os.path.expanduser("~")
        return [*super()._kernel_dirs_default(), f"{home}/.local/share/jupyter/kernels"]


c.ServerApp.kernel_spec_manager_class = KernelsOfTheUserToo  # noqa: F821 (the config loader's `c`)
