from accounts.homes import homes_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role_homes": []}
    return {"role_homes": homes_for(user)}
