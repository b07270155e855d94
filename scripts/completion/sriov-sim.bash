# bash completion for sriov-sim (installed by cmake --install into
# share/bash-completion/completions/sriov-sim). Completes the commands, each
# command's options, --emit's values, --cfg keys (from `sriov-sim run
# --help-cfg`, i.e. what this SimGrid accepts) and file names: scenarios and
# sweep files (*.yaml), results files (*.h5) and folders.
_sriov_sim()
{
    local cur prev cmd words
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=${COMP_WORDS[1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "run validate report sweep --help --version" -- "$cur"))
        [ ${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -X '!*.yaml' -- "$cur") $(compgen -d -- "$cur"))
        return
    fi
    case $prev in
        -o|--output|--dump-platform)
            if [ "$cmd" = report ] || [ "$cmd" = sweep ]; then COMPREPLY=($(compgen -d -- "$cur"))
            else COMPREPLY=($(compgen -f -- "$cur")); fi
            return ;;
        --models) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --emit) COMPREPLY=($(compgen -W "slurm jobs" -- "$cur")); return ;;
        --seed|-j|--jobs|--x|--series) return ;;
        --cfg)
            local keys
            keys=$("${COMP_WORDS[0]}" run --help-cfg 2>/dev/null |
                   sed -n 's/^   \([a-z0-9/_-]*\):.*/\1:/p')
            compopt -o nospace 2>/dev/null
            COMPREPLY=($(compgen -W "$keys" -- "$cur"))
            return ;;
    esac
    case $cmd in
        run) words="-o --output --seed --cfg --help-cfg --dump-platform --models -q --quiet --log --help --version" ;;
        validate) words="--models --help --version" ;;
        report) words="-o --x --series --topology --models --help --version" ;;
        sweep) words="-j --jobs -o --output --emit --dry-run --collect --models --help --version" ;;
        *) words="" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    elif [ "$cmd" = report ]; then
        COMPREPLY=($(compgen -f -X '!*.h5' -- "$cur") $(compgen -d -- "$cur"))
    else
        COMPREPLY=($(compgen -f -X '!*.yaml' -- "$cur") $(compgen -d -- "$cur"))
    fi
}
complete -F _sriov_sim sriov-sim
