from tracking.navigation import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role_homes": []}
    return {"role_homes": navigation_for(user)}
