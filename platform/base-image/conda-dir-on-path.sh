# Sourced by login shells (/etc/profile), whose PATH Debian resets: the environment at $CONDA_DIR comes first again,
# as the Ubuntu-based Jupyter Docker Stacks images keep it (JupyterLab's terminals are login shells).
case ":$PATH:" in
    *":$CONDA_DIR/bin:"*) ;;
    *) PATH="$CONDA_DIR/bin:$PATH" ;;
esac
